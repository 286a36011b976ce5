"""The Atlas: a bilingual map of recommendations against human trafficking and sexual exploitation."""
