"""The published JSON API: `/api/v1/openapi.json` assembled from every area's paths."""
