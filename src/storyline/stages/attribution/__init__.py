"""Who said what: quotations, their speakers and cues, and attributed claims."""
