// PLACEHOLDER (being written).
