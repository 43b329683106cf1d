package dev.bulwark.mgmt.api;

/**
 * Who may call a route: anyone ({@code /healthz}, {@code /readyz}, {@code /api/v1/openapi}), any valid token (reads,
 * validate, plan, {@code /metrics}), or an admin token (changes). {@link AccessControl} checks it.
 */
enum Access { OPEN, READ, WRITE }
