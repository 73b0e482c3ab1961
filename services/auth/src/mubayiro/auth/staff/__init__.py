"""Staff: the people who sign in for a business (owners and cashiers) and their accounts."""
