/* unit.h: what every cmocka unit test includes: cmocka itself (with the
 * headers it needs first) and a few helpers.
 *
 * cmocka 1.1.5 and automake's TAP driver: run exactly one group per
 * program (each group prints its own plan, and a second plan is a TAP
 * error), and do not use skip() (cmocka prints "not ok # SKIP", which the
 * driver counts as a failure). */
#pragma once

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <glib.h>
#include <glib/gstdio.h>

/* The exit status of main() for the result of cmocka_run_group_tests().
 * cmocka returns the number of failed tests; under TAP those failures are
 * already "not ok" lines, and a non-zero status would be counted again as
 * an ERROR. So under TAP the status is 0 and stays free for what TAP lines
 * cannot say: a crash outside a test, or a sanitizer report at exit. */
static inline int unit_exit_status(int failed)
{
    const char *output = g_getenv("CMOCKA_MESSAGE_OUTPUT");
    if (output && g_ascii_strcasecmp(output, "TAP") == 0)
        return 0;
    return failed ? 1 : 0;
}

/* Removes PATH and everything below it; for the temporary directories of
 * tests. Symbolic links are removed, not followed. */
static inline void unit_remove_tree(const char *path)
{
    if (g_file_test(path, G_FILE_TEST_IS_DIR) &&
        !g_file_test(path, G_FILE_TEST_IS_SYMLINK)) {
        GDir *dir = g_dir_open(path, 0, NULL);
        const char *name;
        while (dir && (name = g_dir_read_name(dir))) {
            char *child = g_build_filename(path, name, NULL);
            unit_remove_tree(child);
            g_free(child);
        }
        if (dir)
            g_dir_close(dir);
        g_rmdir(path);
    } else {
        g_unlink(path);
    }
}
