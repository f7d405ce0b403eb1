"""Pages for clinical staff behind one access policy: rule review, analysis, sign-off state, clinic tools."""
