"""Stages over many articles: similarity, syndication, stories, entity linking, corroboration, dossiers."""
