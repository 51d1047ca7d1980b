/* Inserts rows from whole column buffers (bh_insert_append_columns): each column is described by a
 * bh_column, the same struct the block views of a query use, pointing at the program's own arrays.
 * A bad buffer (here: string ends that go backwards) is an error naming the column and row, and
 * nothing of that call is kept. Then the rows are read back through a block view.
 *
 *   gcc -std=c99 -Wall -Wextra -Iinclude examples/c/insert_columns.c -Ltarget/debug -lbytehouse
 *   ./a.out "Host=127.0.0.1;Port=9000"
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bytehouse.h"

static int fail(bh_error *error) {
    fprintf(stderr, "[%s] %s (code %d)\n", bh_error_sqlstate(error), bh_error_message(error),
            (int)bh_error_code(error));
    bh_error_free(error);
    return 1;
}

/* A view of `rows` fixed-width values. */
static bh_column fixed(const void *data, size_t width, size_t rows) {
    bh_column column;
    memset(&column, 0, sizeof column);
    column.kind = BH_FIXED;
    column.rows = rows;
    column.data = (const uint8_t *)data;
    column.width = width;
    return column;
}

int main(int argc, char **argv) {
    const char *connection_string = argc > 1 ? argv[1] : "Host=127.0.0.1;Port=9000";
    bh_error *error = NULL;
    bh_connection *connection = bh_connect(connection_string, &error);
    if (connection == NULL) {
        return fail(error);
    }
    char table[64], sql[256];
    snprintf(table, sizeof table, "capi_insert_columns_%ld", (long)getpid());
    snprintf(sql, sizeof sql,
             "CREATE TABLE %s (id UInt64, name String, score Nullable(Int32), tags Array(UInt32)) "
             "ENGINE = Memory",
             table);
    if (bh_execute(connection, sql, NULL, 0, NULL, NULL, &error) != 0) {
        return fail(error);
    }

    /* Four rows, column by column. */
    const uint64_t ids[] = {1, 2, 3, 4};
    const char names[] = "onetwothreefour";
    size_t name_ends[] = {3, 6, 11, 15};
    const uint8_t score_nulls[] = {0, 1, 0, 0};
    const int32_t scores[] = {10, 0, 30, 40};
    const uint64_t tag_ends[] = {1, 1, 3, 4};
    const uint32_t tags[] = {7, 8, 9, 10};

    bh_column score_values = fixed(scores, sizeof scores[0], 4);
    bh_column tag_values = fixed(tags, sizeof tags[0], 4);
    bh_column columns[4];
    columns[0] = fixed(ids, sizeof ids[0], 4);
    memset(&columns[1], 0, sizeof columns[1]);
    columns[1].kind = BH_STRINGS;
    columns[1].rows = 4;
    columns[1].data = (const uint8_t *)names;
    columns[1].width = strlen(names); /* for strings: the bytes at data */
    columns[1].ends = name_ends;
    memset(&columns[2], 0, sizeof columns[2]);
    columns[2].kind = BH_NULLABLE;
    columns[2].rows = 4;
    columns[2].nulls = score_nulls;
    columns[2].n_children = 1;
    columns[2].children = &score_values;
    memset(&columns[3], 0, sizeof columns[3]);
    columns[3].kind = BH_ARRAY;
    columns[3].rows = 4;
    columns[3].array_ends = tag_ends;
    columns[3].n_children = 1;
    columns[3].children = &tag_values;

    snprintf(sql, sizeof sql, "INSERT INTO %s VALUES", table);
    bh_insert *insert = bh_insert_begin(connection, sql, NULL, &error);
    if (insert == NULL) {
        return fail(error);
    }
    if (bh_insert_append_columns(insert, columns, 4, 4, &error) != 0) {
        return fail(error);
    }

    /* Hostile ends: the third string would end before the second. Nothing of the call is kept. */
    name_ends[2] = 5;
    if (bh_insert_append_columns(insert, columns, 4, 4, &error) == 0) {
        fprintf(stderr, "decreasing ends were taken\n");
        return 1;
    }
    printf("refused [%s] %s\n", bh_error_sqlstate(error), bh_error_message(error));
    bh_error_free(error);

    uint64_t rows = 0;
    if (bh_insert_finish(insert, &rows, &error) != 0) {
        return fail(error);
    }
    bh_insert_free(insert);
    printf("inserted %" PRIu64 "\n", rows);

    /* Read back, each row printed by the server into one string column. */
    snprintf(sql, sizeof sql, "SELECT toString(tuple(id, name, score, tags)) FROM %s ORDER BY id", table);
    bh_result *result = bh_query(connection, sql, NULL, 0, NULL, &error);
    if (result == NULL) {
        return fail(error);
    }
    for (;;) {
        bh_block *block = NULL;
        if (bh_result_next_block(result, &block, &error) != 0) {
            return fail(error);
        }
        if (block == NULL) {
            break;
        }
        const bh_column *text = bh_block_column(block, 0);
        for (size_t row = 0; row < bh_block_rows(block); row++) {
            size_t start = row == 0 ? 0 : text->ends[row - 1];
            printf("%.*s\n", (int)(text->ends[row] - start), (const char *)text->data + start);
        }
        bh_block_free(block);
    }
    bh_result_free(result);

    snprintf(sql, sizeof sql, "DROP TABLE %s", table);
    if (bh_execute(connection, sql, NULL, 0, NULL, NULL, &error) != 0) {
        return fail(error);
    }
    bh_connection_free(connection);
    return 0;
}
