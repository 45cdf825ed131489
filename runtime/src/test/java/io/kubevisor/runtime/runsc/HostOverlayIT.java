package io.kubevisor.runtime.runsc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The overlay mount(2) and umount2(2) against the real kernel; needs root. */
class HostOverlayIT {

    @TempDir
    Path dir;
    private Path image;
    private Path upper;
    private Path work;
    private Path target;

    @BeforeEach
    void setUp() throws Exception {
        image = Files.createDirectories(dir.resolve("image"));
        Files.writeString(image.resolve("hello"), "from the image");
        upper = dir.resolve("upper");
        work = dir.resolve("work");
        target = dir.resolve("rootfs");
    }

    @AfterEach
    void cleanUp() throws Exception {
        for (String m : HostOverlay.mountsUnder(dir)) {
            new ProcessBuilder("umount", "-l", m).inheritIO().start().waitFor();
        }
        assertThat(HostOverlay.mountsUnder(dir)).isEmpty();
    }

    @Test
    void theImageIsReadThroughAndWritesLandInTheUpperDirectory() throws Exception {
        HostOverlay.mount(image, upper, work, target);
        HostOverlay.mount(image, upper, work, target);

        assertThat(HostOverlay.mountsUnder(dir)).as("mounted once").containsExactly(target.toString());
        assertThat(Files.readString(target.resolve("hello"))).isEqualTo("from the image");
        Files.writeString(target.resolve("etc-hosts"), "written");
        assertThat(upper.resolve("etc-hosts")).hasContent("written");
        assertThat(image.resolve("etc-hosts")).doesNotExist();

        HostOverlay.unmount(target);
        assertThat(HostOverlay.isMounted(target)).isFalse();
        HostOverlay.unmount(target);
    }

    @Test
    void aBusyOverlayIsDetached() throws Exception {
        HostOverlay.mount(image, upper, work, target);
        try (var open = Files.newInputStream(target.resolve("hello"))) {
            HostOverlay.unmount(target);
            assertThat(HostOverlay.isMounted(target)).isFalse();
            assertThat(new String(open.readAllBytes())).as("still readable while open").isEqualTo("from the image");
        }
    }

    @Test
    void aMountTheKernelRefusesSaysWhy() {
        Path workInsideUpper = upper.resolve("work");
        var e = catchThrowableOfType(RunscException.class,
                () -> HostOverlay.mount(image, upper, workInsideUpper, target));
        assertThat(e).hasMessage("cannot mount the image overlay at " + target + ": mount(" + target
                + "): EINVAL (Invalid argument)");
        assertThat(HostOverlay.isMounted(target)).isFalse();
    }
}
