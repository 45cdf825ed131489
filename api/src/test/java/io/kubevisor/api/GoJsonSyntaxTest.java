package io.kubevisor.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Messages as Go's encoding/json scanner words them (kube-apiserver returns them in 400s). */
class GoJsonSyntaxTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "{not json|invalid character 'n' looking for beginning of object key string",
            "{\"a\":1,}|invalid character '}' looking for beginning of object key string",
            "{\"a\" 1}|invalid character '1' after object key",
            "{\"a\":1 \"b\"|invalid character '\"' after object key:value pair",
            "[1 2]|invalid character '2' after array element",
            "tru|unexpected end of JSON input",
            "trux|invalid character 'x' in literal true (expecting 'e')",
            "nul1|invalid character '1' in literal null (expecting 'l')",
            "{} x|invalid character 'x' after top-level value",
            "`  `|unexpected end of JSON input",
            "-a|invalid character 'a' in numeric literal",
            "1.e|invalid character 'e' after decimal point in numeric literal",
            "1e+x|invalid character 'x' in exponent of numeric literal",
            "\"\\q\"|invalid character 'q' in string escape code",
            "\"\\u12g4\"|invalid character 'g' in \\u hexadecimal character escape",
            "{\"a\":'x'}|invalid character '\\'' looking for beginning of value",
            "{\"a\":[1,2}|invalid character '}' after array element",
            "{\"a\":1|unexpected end of JSON input",
    })
    void describesLikeGo(String json, String expected) {
        assertThat(GoJsonSyntax.describe(json.getBytes(StandardCharsets.UTF_8))).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "{\"a\":[1,-2.5e3,true,null,\"x\\n\\u00e9\"],\"b\":{}}",
            "`  [ ]  `",
            "0",
            "\"s\"",
    })
    void validJsonHasNoError(String json) {
        assertThat(GoJsonSyntax.describe(json.getBytes(StandardCharsets.UTF_8))).isNull();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {"`\"a\tb\"`|invalid character '\\t' in string literal"})
    void controlCharactersInStrings(String json, String expected) {
        assertThat(GoJsonSyntax.describe(json.getBytes(StandardCharsets.UTF_8))).isEqualTo(expected);
    }
}
