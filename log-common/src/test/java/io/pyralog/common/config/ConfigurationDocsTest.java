package io.pyralog.common.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/configuration.md must list every option of the catalogue, with its description. */
class ConfigurationDocsTest {
  @Test
  void everyOptionIsDocumented() throws IOException {
    String doc = Files.readString(Path.of("..", "docs", "configuration.md"));
    assertThat(PyralogConfigOptions.all()).hasSizeGreaterThan(20);
    for (ConfigOption<?> option : PyralogConfigOptions.all()) {
      assertThat(doc).as("docs/configuration.md row for %s", option.key())
          .contains("| `" + option.key() + "` |")
          .contains(option.description());
    }
  }

  @Test
  void malformedValuesSayWhatIsExpected() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> PyralogConfigOptions.PORT.parse("seventy"))
        .hasMessageContaining("port").hasMessageContaining("seventy")
        .hasMessageContaining("7070");
    assertThat(PyralogConfigOptions.LINGER_MS.get(java.util.Map.of("linger.ms", " 12 ")))
        .isEqualTo(12L);
    assertThat(PyralogConfigOptions.LINGER_MS.get(java.util.Map.of())).isEqualTo(5L);
  }
}
