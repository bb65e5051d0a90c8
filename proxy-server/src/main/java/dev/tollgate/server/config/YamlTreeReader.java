package dev.tollgate.server.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Reads YAML text into a {@link YamlNode} tree with Jackson's streaming YAML parser. Jackson's data binding is
 * not used on purpose: it would turn {@code 0.075} into a double and forget where each value was written.
 */
final class YamlTreeReader {

    /** {@code key:} with nothing after it is null, as in YAML itself; {@code key: ''} stays an empty string. */
    private static final YAMLFactory YAML = YAMLFactory.builder()
            .enable(YAMLParser.Feature.EMPTY_STRING_AS_NULL)
            .build();

    /** SnakeYAML's 1-based position lines: {@code  in 'reader', line 2, column 1:}. */
    private static final Pattern PROBLEM_MARK = Pattern.compile("^ in '[^']*', line (\\d+), column (\\d+):$",
            Pattern.MULTILINE);

    private final String source;

    YamlTreeReader(String source) {
        this.source = source;
    }

    /** The document's root node, or {@code null} for a document with no content. */
    @Nullable YamlNode read(String yaml) {
        try (YAMLParser parser = YAML.createParser(yaml)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                return null;
            }
            YamlNode root = readValue(parser, "");
            if (parser.nextToken() != null) {
                throw error(parser, "", "a second YAML document (expected: one document)");
            }
            return root;
        } catch (JsonProcessingException e) {
            String message = e.getOriginalMessage();
            JsonLocation where = e.getLocation();
            int line = where == null ? 0 : where.getLineNr();
            int column = where == null ? 0 : where.getColumnNr();
            // Jackson reports where its parser was; SnakeYAML's text names where the problem is (its last mark).
            Matcher mark = PROBLEM_MARK.matcher(message);
            while (mark.find()) {
                line = Integer.parseInt(mark.group(1));
                column = Integer.parseInt(mark.group(2));
            }
            throw new ConfigException(source, line, column, "", "invalid YAML: " + summary(message), e);
        } catch (IOException e) {
            // Reading from a String: only the parser's own failures get here.
            throw new ConfigException(source, 0, 0, "", "invalid YAML: " + e.getMessage(), e);
        }
    }

    private YamlNode readValue(YAMLParser parser, String path) throws IOException {
        YamlNode.Mark mark = mark(parser);
        JsonToken token = parser.currentToken();
        if (parser.isCurrentAlias()) {
            throw error(parser, path, "alias *" + parser.getText() + " (expected: plain values; aliases are not supported)");
        }
        switch (token) {
            case START_OBJECT:
                return readMapping(parser, path, mark);
            case START_ARRAY:
                return readSequence(parser, path, mark);
            case VALUE_NULL:
                return new YamlNode.Scalar(mark, null);
            default:
                return new YamlNode.Scalar(mark, parser.getText());
        }
    }

    private YamlNode.Mapping readMapping(YAMLParser parser, String path, YamlNode.Mark mark) throws IOException {
        List<YamlNode.Entry> entries = new ArrayList<>();
        Map<String, YamlNode.Mark> seen = new HashMap<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String key = parser.currentName();
            YamlNode.Mark keyMark = mark(parser);
            String keyPath = path.isEmpty() ? key : path + "." + key;
            YamlNode.Mark earlier = seen.putIfAbsent(key, keyMark);
            if (earlier != null) {
                throw error(parser, keyPath, "duplicate key (first at line " + earlier.line() + ")");
            }
            parser.nextToken();
            entries.add(new YamlNode.Entry(key, keyMark, readValue(parser, keyPath)));
        }
        return new YamlNode.Mapping(mark, entries);
    }

    private YamlNode.Sequence readSequence(YAMLParser parser, String path, YamlNode.Mark mark) throws IOException {
        List<YamlNode> items = new ArrayList<>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            items.add(readValue(parser, path + "[" + items.size() + "]"));
        }
        return new YamlNode.Sequence(mark, items);
    }

    private ConfigException error(YAMLParser parser, String path, String problem) {
        YamlNode.Mark mark = mark(parser);
        return new ConfigException(source, mark.line(), mark.column(), path, problem, null);
    }

    private static YamlNode.Mark mark(YAMLParser parser) {
        JsonLocation location = parser.currentTokenLocation();
        return new YamlNode.Mark(location.getLineNr(), location.getColumnNr());
    }

    /**
     * SnakeYAML's messages span several lines: problem statements at the line start, each followed by indented
     * lines with a position and a quote of the source. Keep the statements; the position is reported separately.
     */
    private static String summary(String message) {
        String kept = message.lines()
                .filter(line -> !line.isBlank() && !Character.isWhitespace(line.charAt(0)))
                .collect(Collectors.joining("; "));
        return kept.isEmpty() ? message.strip() : kept;
    }
}
