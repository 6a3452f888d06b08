"""Load benchmark for PromptVault: seed a large vault, serve it with gunicorn, measure pages."""
