"""Analysis: burden-sharing history, criteria, MCDA, SMAA, sensitivity, adoption forecast."""
