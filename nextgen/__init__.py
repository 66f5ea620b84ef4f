"""NextGen: central sign-on and court e-filing accounts."""
