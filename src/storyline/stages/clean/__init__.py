"""Turning a raw page or text dump into a clean Article: body, blocks, title, outlet, dates."""
