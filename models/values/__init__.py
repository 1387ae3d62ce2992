"""Values as people type and read them: amounts, dates without a year, plain
text, text compared without case or accents, the fixed vocabularies."""
