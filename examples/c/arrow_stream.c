/* Reads a query result through libbytehouse's Arrow C stream, with nothing but the C library:
 * prints the schema, then sums a UInt64 column and counts the NULLs of a Nullable one across all
 * batches, reading the Arrow buffers directly. The query carries its own settings (blocks of 10000
 * rows, so 10 batches) and reports its progress through a callback.
 *
 *   gcc -std=c99 -Wall -Wextra -Iinclude examples/c/arrow_stream.c -Ltarget/debug -lbytehouse
 *   ./a.out "Host=127.0.0.1;Port=9000"
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "bytehouse.h"

static int fail(bh_error *error) {
    fprintf(stderr, "[%s] %s (code %d)\n", bh_error_sqlstate(error), bh_error_message(error),
            (int)bh_error_code(error));
    bh_error_free(error);
    return 1;
}

/* Progress reports: sums that only grow, delivered inside the reading call on its thread. */
struct progress {
    uint64_t rows;
    int calls;
    int shrank;
};

static void on_progress(void *context, uint64_t rows, uint64_t bytes) {
    struct progress *progress = (struct progress *)context;
    (void)bytes;
    progress->shrank |= rows < progress->rows;
    progress->rows = rows;
    progress->calls++;
}

/* Whether row `i` of `array` is valid: bit i of the validity bitmap, or always without one. */
static int is_valid(const struct ArrowArray *array, int64_t i) {
    const uint8_t *validity = (const uint8_t *)array->buffers[0];
    i += array->offset;
    return validity == NULL || (validity[i / 8] >> (i % 8)) & 1;
}

int main(int argc, char **argv) {
    const char *connection_string = argc > 1 ? argv[1] : "Host=127.0.0.1;Port=9000";
    bh_error *error = NULL;
    bh_connection *connection = bh_connect(connection_string, &error);
    if (connection == NULL) {
        return fail(error);
    }

    struct ArrowArrayStream stream;
    const char *sql =
        "SELECT number AS n, if(number % 10 = 0, NULL, toString(number)) AS s "
        "FROM numbers(100000)";
    const bh_setting settings[] = {{"max_block_size", "10000"}};
    struct progress progress = {0, 0, 0};
    bh_query_options options = {0};
    options.settings = settings;
    options.n_settings = sizeof settings / sizeof settings[0];
    options.progress = on_progress;
    options.progress_context = &progress;
    if (bh_query_arrow(connection, sql, NULL, 0, &options, 0, &stream, &error) != 0) {
        bh_connection_free(connection);
        return fail(error);
    }

    struct ArrowSchema schema;
    if (stream.get_schema(&stream, &schema) != 0) {
        fprintf(stderr, "get_schema: %s\n", stream.get_last_error(&stream));
        return 1;
    }
    for (int64_t i = 0; i < schema.n_children; i++) {
        const struct ArrowSchema *field = schema.children[i];
        printf("%s %s%s\n", field->name, field->format,
               field->flags & ARROW_FLAG_NULLABLE ? " nullable" : "");
    }
    schema.release(&schema);

    uint64_t sum = 0;
    int64_t rows = 0, nulls = 0, batches = 0;
    for (;;) {
        struct ArrowArray batch;
        if (stream.get_next(&stream, &batch) != 0) {
            fprintf(stderr, "get_next: %s\n", stream.get_last_error(&stream));
            return 1;
        }
        if (batch.release == NULL) {
            break; /* the end of the stream */
        }
        const struct ArrowArray *numbers = batch.children[0];
        const struct ArrowArray *texts = batch.children[1];
        const uint64_t *values = (const uint64_t *)numbers->buffers[1];
        for (int64_t i = 0; i < numbers->length; i++) {
            sum += values[numbers->offset + i];
            nulls += !is_valid(texts, i);
        }
        rows += batch.length;
        batches++;
        batch.release(&batch);
    }
    stream.release(&stream);
    printf("rows %" PRId64 " sum %" PRIu64 " nulls %" PRId64 " batches %" PRId64 "\n", rows, sum, nulls,
           batches);
    printf("progress reported %d, grew only %d, read all %d\n", progress.calls > 0, !progress.shrank,
           progress.rows == 100000);

    /* Errors are values: a syntax error carries the server's code and a SQLSTATE. */
    if (bh_execute(connection, "SELEC 1", NULL, 0, NULL, NULL, &error) != 0) {
        printf("error %s %d\n", bh_error_sqlstate(error), (int)bh_error_code(error));
        fprintf(stderr, "%s\n", bh_error_message(error));
        bh_error_free(error);
    }
    bh_connection_free(connection);
    return 0;
}
