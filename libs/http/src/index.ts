// Fastify server every service shares: health, ready, live, metrics
