/**
 * {@code tollgate demo}: a simulated upstream that speaks OpenAI's and Anthropic's wire formats with
 * deterministic token counts and realistic timing, and synthetic traffic from a few tenants, so that
 * metrics, dashboards and alerts come alive without an API key.
 */
@NullMarked
package dev.tollgate.server.demo;

import org.jspecify.annotations.NullMarked;
