"""A business's referral settings: the bonus its owner offers by default on completion."""
