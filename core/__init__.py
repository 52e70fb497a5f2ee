"""Small helpers every app may use: no models, and no imports from the apps."""
