/*
 * libmde and libcurl side by side in one process, call by call, so machine noise
 * falls on both alike. Usage: bench_interleaved URL N WARMUP
 */
#include <string.h>
#include <curl/curl.h>
#include "common.h"
#include "mde.h"

struct buf { char data[16384]; size_t len; };

static size_t sink(char *p, size_t size, size_t n, void *user) {
    struct buf *b = user;
    size_t len = size * n;
    if (b->len + len < sizeof b->data) { memcpy(b->data + b->len, p, len); b->len += len; }
    return len;
}

int main(int argc, char **argv) {
    int n = atoi(argv[2]), warmup = atoi(argv[3]);
    char config[256];
    snprintf(config, sizeof config, "{\"base_url\": \"%s\", \"token\": \"bench\", \"rate_limits\": []}", argv[1]);
    mde_client *client = NULL;
    if (mde_client_new(config, &client, NULL) != MDE_STATUS_OK) return 1;

    curl_global_init(CURL_GLOBAL_DEFAULT);
    CURL *curl = curl_easy_init();
    struct curl_slist *h = NULL;
    h = curl_slist_append(h, "Authorization: Bearer bench");
    h = curl_slist_append(h, "Content-Type: application/json");
    h = curl_slist_append(h, "Accept: application/json");
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, h);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, "{\"Comment\":\"bench\"}");
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, sink);
    curl_easy_setopt(curl, CURLOPT_TCP_NODELAY, 1L);
    struct buf body;
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &body);

    double *lat_mde = malloc(sizeof(double) * n), *lat_curl = malloc(sizeof(double) * n);
    for (int i = 0; i < warmup + n; i++) {
        char id[40], url[256];
        char *json = NULL;
        /* Alternate which goes first, so neither always follows the other. */
        for (int turn = 0; turn < 2; turn++) {
            int mde_now = (turn == (i & 1));
            double t0 = now_us();
            if (mde_now) {
                action_id(id, 40000000, i);
                mde_status s = mde_cancel_action(client, id, "bench", &json, NULL);
                if (s != MDE_STATUS_OK) { fprintf(stderr, "libmde status %d\n", s); return 1; }
                mde_string_free(json);
            } else {
                action_id(id, 50000000, i);
                snprintf(url, sizeof url, "%s/api/machineactions/%s/cancel", argv[1], id);
                curl_easy_setopt(curl, CURLOPT_URL, url);
                body.len = 0;
                long code = 0;
                if (curl_easy_perform(curl) != CURLE_OK) return 1;
                curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &code);
                if (code != 200) { fprintf(stderr, "curl http %ld\n", code); return 1; }
            }
            double t1 = now_us();
            if (i >= warmup) (mde_now ? lat_mde : lat_curl)[i - warmup] = t1 - t0;
        }
    }
    report("libcurl", lat_curl, n);
    report("libmde", lat_mde, n);
    curl_slist_free_all(h);
    curl_easy_cleanup(curl);
    curl_global_cleanup();
    mde_client_free(client);
    free(lat_mde);
    free(lat_curl);
    return 0;
}
