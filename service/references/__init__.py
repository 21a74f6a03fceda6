"""Records named by an id or a slug: finding them, embedding them in answers, and who still
refers to one."""
