// Aggregator stage: joins partial results into post.enhanced
