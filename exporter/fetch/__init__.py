"""Records fetched over HTTP from the registries' own services, politely and with a cache."""
