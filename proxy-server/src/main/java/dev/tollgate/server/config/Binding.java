package dev.tollgate.server.config;

/** What every {@link ConfigValue} of one document shares: where the text came from and the environment. */
record Binding(String source, EnvSubstitution substitution) {

    ConfigException error(YamlNode.Mark mark, String path, String problem) {
        return new ConfigException(source, mark.line(), mark.column(), path, problem, null);
    }
}
