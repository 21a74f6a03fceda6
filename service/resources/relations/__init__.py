"""Relations between actors: allies, adversaries, membership, leadership, negotiation."""
