/*
 * libmde from C against the emulator: cancel success, not found, not cancellable,
 * invalid id, and 8 threads x 50 cancels on one shared client.
 * Usage: test_cancel BASE_URL  (the emulator seeded by tests/c/run.sh)
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mde.h"

#define THREADS 8
#define PER_THREAD 50

static int passed = 0, failed = 0;

#define CHECK(cond, ...)                                     \
    do {                                                     \
        if (cond) {                                          \
            passed++;                                        \
        } else {                                             \
            failed++;                                        \
            fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__); \
            fprintf(stderr, __VA_ARGS__);                    \
            fprintf(stderr, "\n");                           \
        }                                                    \
    } while (0)

static void pending_id(char *out, int i) {
    sprintf(out, "10000000-0000-4000-8000-%012d", i);
}

static const mde_client *shared_client;

static void *worker(void *arg) {
    int base = 1 + (int)(size_t)arg * PER_THREAD;
    long ok = 0;
    for (int i = 0; i < PER_THREAD; i++) {
        char id[40];
        char *json = NULL;
        mde_error *error = NULL;
        pending_id(id, base + i);
        mde_status s = mde_cancel_action(shared_client, id, "bulk from C", &json, &error);
        if (s == MDE_STATUS_OK && json != NULL && error == NULL && strstr(json, "\"Cancelled\"")) {
            ok++;
        } else {
            fprintf(stderr, "thread cancel %s: %s\n", id, error ? mde_error_message(error) : "?");
        }
        mde_string_free(json);
        mde_error_free(error);
    }
    return (void *)ok;
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: %s BASE_URL\n", argv[0]);
        return 2;
    }
    CHECK(mde_abi_version() == MDE_ABI_VERSION, "abi version");
    CHECK(strlen(mde_version()) > 0, "version");
    CHECK(strcmp(mde_status_str(MDE_STATUS_NOT_FOUND), "machine action not found") == 0, "status_str");

    char config[512];
    snprintf(config, sizeof config,
             "{\"base_url\": \"%s\", \"token\": \"c-test\", \"rate_limits\": [], \"timeout_ms\": 10000}",
             argv[1]);
    mde_client *client = NULL;
    mde_error *error = NULL;
    mde_status s = mde_client_new(config, &client, &error);
    CHECK(s == MDE_STATUS_OK && client != NULL && error == NULL, "client_new: %d", s);

    /* Success: the entity as the service sent it. */
    char id[40];
    char *json = NULL;
    pending_id(id, 0);
    s = mde_cancel_action(client, id, "cancelled from C \xc3\xa9", &json, &error);
    CHECK(s == MDE_STATUS_OK && error == NULL, "cancel: %d", s);
    CHECK(json && strstr(json, "\"status\":\"Cancelled\""), "cancel json: %s", json ? json : "NULL");
    CHECK(json && strstr(json, "cancelled from C \xc3\xa9"), "comment kept as UTF-8");
    mde_string_free(json);

    /* Not found. */
    json = (char *)1;
    s = mde_get_action(client, "30000000-0000-4000-8000-000000000000", &json, &error);
    CHECK(s == MDE_STATUS_NOT_FOUND && json == NULL && error != NULL, "not found: %d", s);
    CHECK(mde_error_http_status(error) == 404, "http 404");
    CHECK(strcmp(mde_error_code(error), "NotFound") == 0, "code %s", mde_error_code(error));
    CHECK(mde_error_retry_after_ms(error) == -1, "no retry-after");
    mde_error_free(error);
    error = NULL;

    /* Not cancellable: already final. */
    s = mde_cancel_action(client, "20000000-0000-4000-8000-000000000001", "late", &json, &error);
    CHECK(s == MDE_STATUS_NOT_CANCELLABLE, "not cancellable: %d", s);
    CHECK(error && strcmp(mde_error_action_status(error), "Succeeded") == 0, "action status");
    CHECK(error && strstr(mde_error_message(error), "Succeeded") != NULL, "message");
    mde_error_free(error);
    error = NULL;

    /* Invalid id: refused before any I/O. */
    s = mde_cancel_action(client, "../../machines", "x", &json, &error);
    CHECK(s == MDE_STATUS_INVALID_ARGUMENT && json == NULL, "invalid id: %d", s);
    CHECK(error && strstr(mde_error_message(error), "../../machines") != NULL, "names the id");
    mde_error_free(error);
    error = NULL;

    /* NULL out_error: the status alone. */
    s = mde_cancel_action(client, NULL, "x", &json, NULL);
    CHECK(s == MDE_STATUS_NULL_ARGUMENT, "null id: %d", s);

    /* Bulk: one outcome per id in any mix (the duplicate counts once). */
    char *results = NULL;
    s = mde_cancel_actions(client,
                           "[\"40000000-0000-4000-8000-000000000001\", \"20000000-0000-4000-8000-000000000001\","
                           " \"30000000-0000-4000-8000-000000000000\", \"bad\", \"40000000-0000-4000-8000-000000000001\"]",
                           "bulk from C", &results, &error);
    CHECK(s == MDE_STATUS_OK && results != NULL && error == NULL, "cancel_actions: %d", s);
    int outcomes = 0;
    for (const char *p = results; p && (p = strstr(p, "\"outcome\":")) != NULL; p++) outcomes++;
    CHECK(outcomes == 4, "4 outcomes, got %d: %s", outcomes, results ? results : "NULL");
    CHECK(results && strstr(results, "\"outcome\":\"cancelled\""), "a cancelled outcome");
    CHECK(results && strstr(results, "\"outcome\":\"not_cancellable\""), "a not_cancellable outcome");
    CHECK(results && strstr(results, "\"outcome\":\"not_found\""), "a not_found outcome");
    CHECK(results && strstr(results, "\"outcome\":\"invalid_id\""), "an invalid_id outcome");
    mde_string_free(results);
    s = mde_cancel_actions(client, "{\"not\": \"a list\"}", "x", &results, &error);
    CHECK(s == MDE_STATUS_INVALID_ARGUMENT && results == NULL, "ids_json must be an array: %d", s);
    mde_error_free(error);
    error = NULL;

    char *listed = NULL;
    s = mde_list_actions(client, "{\"status\": \"Succeeded\"}", &listed, &error);
    CHECK(s == MDE_STATUS_OK && listed && listed[0] == '[', "list_actions: %d", s);
    CHECK(listed && strstr(listed, "20000000-0000-4000-8000-000000000001"), "the succeeded action is listed");
    CHECK(listed && !strstr(listed, "10000000-0000-4000-8000-000000000399"), "a pending one is not");
    mde_string_free(listed);
    s = mde_list_actions(client, "{\"bogus\": 1}", &listed, &error);
    CHECK(s == MDE_STATUS_INVALID_ARGUMENT && error && strstr(mde_error_message(error), "bogus"), "unknown filter key");
    mde_error_free(error);
    error = NULL;

    /* 8 threads x 50 calls on one client. */
    shared_client = client;
    pthread_t threads[THREADS];
    for (size_t t = 0; t < THREADS; t++) {
        pthread_create(&threads[t], NULL, worker, (void *)t);
    }
    long total = 0;
    for (size_t t = 0; t < THREADS; t++) {
        void *ok = NULL;
        pthread_join(threads[t], &ok);
        total += (long)ok;
    }
    CHECK(total == THREADS * PER_THREAD, "threads: %ld of %d succeeded", total, THREADS * PER_THREAD);

    mde_client_free(client);
    mde_client_free(NULL);
    mde_error_free(NULL);
    mde_string_free(NULL);

    printf("%d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
