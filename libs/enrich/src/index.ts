// Pure domain: fusion of partial results into tags, tiers and description
