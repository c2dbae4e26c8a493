"""Time expressions: tagging and normalising TIMEX3 values, events and story timelines."""
