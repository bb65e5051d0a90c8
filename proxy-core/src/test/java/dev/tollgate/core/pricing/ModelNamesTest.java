package dev.tollgate.core.pricing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ModelNamesTest {

    @ParameterizedTest
    @CsvSource(nullValues = "-", value = {
        "gpt-4o-2024-08-06,             gpt-4o",
        "claude-3-5-sonnet-20241022,    claude-3-5-sonnet",
        "claude-opus-4@20250514,        claude-opus-4",
        "claude-3-5-sonnet-v2@20241022, claude-3-5-sonnet-v2",
        "gemini-pro@2024-05-01,         gemini-pro",
        "gpt-4-0613,                    -",
        "mistral-large-2411,            -",
        "gpt-4o-2024-13-01,             -",
        "model-12345678,                -",
        "gpt-4o,                        -",
        "-20241022,                     -",
    })
    void removesOnlyDatedSuffixes(String model, String undated) {
        assertThat(ModelNames.withoutDatedSuffix(model)).isEqualTo(undated);
    }
}
