/**
 * Tollgate's configuration: the immutable {@link dev.tollgate.server.config.ProxyConfig} record tree,
 * {@link dev.tollgate.server.config.ConfigLoader}, which reads a YAML file (CONTRACT.md §4), substitutes
 * {@code ${ENV_VAR}} references and validates everything up front, and
 * {@link dev.tollgate.server.config.ConfigPrinter}, which prints a resolved config back as YAML with secrets
 * masked. Every problem is a {@link dev.tollgate.server.config.ConfigException} naming the file, line, column
 * and dotted key path, so a bad config fails at startup (or on reload) instead of on the first request.
 * Records check only what their types cannot express; the user-facing checks, with locations, live in the
 * loader.
 */
@NullMarked
package dev.tollgate.server.config;

import org.jspecify.annotations.NullMarked;
