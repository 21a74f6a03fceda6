"""Records named by an id or a slug: finding them (lookup), filtering lists by them (filters),
embedding them in answers (embedded), and who still refers to one (referrers)."""
