// Reads a result block by block through libbytehouse's typed column views, then cancels a
// long-running query from another thread.
//
//   g++ -std=c++17 -Wall -Wextra -Iinclude examples/cpp/query_blocks.cpp -Ltarget/debug -lbytehouse -pthread
//   ./a.out "Host=127.0.0.1;Port=9000"
#include <chrono>
#include <cstdint>
#include <cstring>
#include <iostream>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>

#include "bytehouse.h"

namespace {

// Owns a bh_error and turns it into an exception.
[[noreturn]] void raise(bh_error *error) {
    std::string message = std::string("[") + bh_error_sqlstate(error) + "] " + bh_error_message(error);
    bh_error_free(error);
    throw std::runtime_error(message);
}

using Connection = std::unique_ptr<bh_connection, decltype(&bh_connection_free)>;
using Result = std::unique_ptr<bh_result, decltype(&bh_result_free)>;
using Block = std::unique_ptr<bh_block, decltype(&bh_block_free)>;

// Value `row` of a String column view.
std::string_view string_at(const bh_column &column, size_t row) {
    size_t start = row == 0 ? 0 : column.ends[row - 1];
    return {reinterpret_cast<const char *>(column.data) + start, column.ends[row] - start};
}

// Value `row` of a fixed-width little-endian column view of type T.
template <typename T> T fixed_at(const bh_column &column, size_t row) {
    T value;
    std::memcpy(&value, column.data + row * column.width, sizeof value);
    return value;
}

}  // namespace

int main(int argc, char **argv) {
    const char *connection_string = argc > 1 ? argv[1] : "Host=127.0.0.1;Port=9000";
    try {
        bh_error *error = nullptr;
        Connection connection(bh_connect(connection_string, &error), bh_connection_free);
        if (!connection) raise(error);

        // The `?` takes a typed parameter, written into the statement as a quoted literal.
        bh_param limit{};
        limit.kind = BH_PARAM_UINT64;
        limit.uint64 = 10;
        Result result(bh_query(connection.get(),
                               "SELECT number AS id, toString(number * 2) AS text, "
                               "if(number % 4 = 0, NULL, toInt32(number)) AS maybe FROM numbers(?)",
                               &limit, 1, nullptr, &error),
                      bh_result_free);
        if (!result) raise(error);
        for (size_t i = 0; i < bh_result_column_count(result.get()); i++) {
            std::cout << bh_result_column_name(result.get(), i) << ' '
                      << bh_result_column_type(result.get(), i) << '\n';
        }
        uint64_t id_sum = 0;
        int64_t maybe_sum = 0;
        size_t nulls = 0;
        std::string last_text;
        for (;;) {
            bh_block *raw = nullptr;
            if (bh_result_next_block(result.get(), &raw, &error) != 0) raise(error);
            if (raw == nullptr) break;  // the end of the result
            Block block(raw, bh_block_free);
            const bh_column &id = *bh_block_column(block.get(), 0);
            const bh_column &text = *bh_block_column(block.get(), 1);
            const bh_column &maybe = *bh_block_column(block.get(), 2);  // BH_NULLABLE
            for (size_t row = 0; row < bh_block_rows(block.get()); row++) {
                id_sum += fixed_at<uint64_t>(id, row);
                last_text = std::string(string_at(text, row));
                if (maybe.nulls[row]) {
                    nulls++;
                } else {
                    maybe_sum += fixed_at<int32_t>(maybe.children[0], row);
                }
            }
        }
        std::cout << "ids " << id_sum << " last text " << last_text << " nulls " << nulls << " sum "
                  << maybe_sum << '\n';

        // Cancel from another thread: the running statement fails with HY008.
        std::thread canceller([&connection] {
            std::this_thread::sleep_for(std::chrono::milliseconds(300));
            bh_cancel(connection.get());
        });
        int code = bh_execute(connection.get(), "SELECT count() FROM system.numbers", nullptr, 0, nullptr,
                              nullptr, &error);
        canceller.join();
        if (code == 0) throw std::runtime_error("the endless query was not cancelled");
        std::cout << "cancelled " << bh_error_sqlstate(error) << '\n';
        bh_error_free(error);

        // A statement's own timeout (the connection's QueryTimeout otherwise) fails it with HYT00.
        bh_query_options options{};
        options.timeout_ms = 300;
        code = bh_execute(connection.get(), "SELECT count() FROM system.numbers", nullptr, 0, &options, nullptr,
                          &error);
        if (code == 0) throw std::runtime_error("the endless query did not time out");
        std::cout << "timed out " << bh_error_sqlstate(error) << '\n';
        bh_error_free(error);
    } catch (const std::exception &failure) {
        std::cerr << failure.what() << '\n';
        return 1;
    }
    return 0;
}
