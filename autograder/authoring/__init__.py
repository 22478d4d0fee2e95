"""Authoring: what an instructor runs to build the course (lint, release, bundles, leak checks,
the masters as text, the figures).  Reads source/, writes notebooks/, dist/ and assets/."""
