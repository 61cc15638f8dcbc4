"""data.gouv.fr (udata): the HTTP client and the udata <-> CKAN mapping."""
