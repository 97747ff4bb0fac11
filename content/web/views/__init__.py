"""The Quart blueprints: one per area of the site."""
