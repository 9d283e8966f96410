"""Data quality: pure checks that flag responses and people that look unreliable."""
