"""The demo dataset: the story of ../shared/seed/article-2025-09-24.txt as records."""
