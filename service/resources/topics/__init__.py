"""Topics: questions on which actors take positions between two named poles."""
