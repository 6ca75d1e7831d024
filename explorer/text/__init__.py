"""Words, numbers and addresses: languages (i18n), inert markdown, source grades in words, URL parameters."""
