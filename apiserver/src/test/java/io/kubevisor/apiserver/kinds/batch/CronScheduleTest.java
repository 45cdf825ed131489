package io.kubevisor.apiserver.kinds.batch;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CronScheduleTest {

    @ParameterizedTest
    @ValueSource(strings = {"*/5 * * * *", "0 0 * * *", "0 9-17 * * 1-5", "15,45 */2 1 jan-mar MON",
        "0 0 1,15 * *", "? * * * ?", "5 4 * * sun", "0 0/6 * * *", "@hourly",
        "@daily", "@midnight", "@weekly", "@monthly", "@yearly", "@annually", "@every 1h30m", "@every 90s",
        "TZ=UTC 0 3 * * *", "CRON_TZ=America/New_York 30 6 * * *", "  0   0  *  *  *  "})
    void acceptsWhatTheCronLibraryAccepts(String schedule) {
        assertThat(CronSchedule.problem(schedule)).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "* * * *|expected exactly 5 fields, found 4: [* * * *]",
        "* * * * * *|expected exactly 5 fields, found 6: [* * * * * *]",
        "60 * * * *|end of range (60) above maximum (59): 60",
        "* 24 * * *|end of range (24) above maximum (23): 24",
        "* * 0 * *|beginning of range (0) below minimum (1): 0",
        "* * * 13 *|end of range (13) above maximum (12): 13",
        "* * * * 7|end of range (7) above maximum (6): 7",
        "5-1 * * * *|beginning of range (5) beyond end of range (1): 5-1",
        "*/0 * * * *|step of range should be a positive number: */0",
        "1-2-3 * * * *|too many hyphens: 1-2-3",
        "*/2/3 * * * *|too many slashes: */2/3",
        "x * * * *|failed to parse int from x: strconv.Atoi: parsing \"x\": invalid syntax",
        "* * * foo *|failed to parse int from foo: strconv.Atoi: parsing \"foo\": invalid syntax",
        "@every 5x|failed to parse duration @every 5x: time: unknown unit \"x\" in duration \"5x\"",
        "@every|unrecognized descriptor: @every",
        "@reboot|unrecognized descriptor: @reboot",
        "TZ=Nowhere/City * * * * *|provided bad location Nowhere/City: unknown time zone Nowhere/City",
    })
    void reportsTheCronLibrarysErrors(String schedule, String problem) {
        assertThat(CronSchedule.problem(schedule)).contains(problem);
    }
}
