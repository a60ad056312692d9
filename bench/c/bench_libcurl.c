/* The same POSTs with libcurl on one kept-alive connection. Usage: bench_libcurl URL N WARMUP */
#include <string.h>
#include <curl/curl.h>
#include "common.h"

struct buf { char data[16384]; size_t len; };

static size_t sink(char *p, size_t size, size_t n, void *user) {
    struct buf *b = user;
    size_t len = size * n;
    if (b->len + len < sizeof b->data) { memcpy(b->data + b->len, p, len); b->len += len; }
    return len;
}

int main(int argc, char **argv) {
    int n = atoi(argv[2]), warmup = atoi(argv[3]);
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
    double *lat = malloc(sizeof(double) * n);
    for (int i = 0; i < warmup + n; i++) {
        char id[40], url[256];
        action_id(id, 50000000, i);
        snprintf(url, sizeof url, "%s/api/machineactions/%s/cancel", argv[1], id);
        curl_easy_setopt(curl, CURLOPT_URL, url);
        body.len = 0;
        double t0 = now_us();
        CURLcode rc = curl_easy_perform(curl);
        double t1 = now_us();
        long code = 0;
        curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &code);
        if (rc != CURLE_OK || code != 200) { fprintf(stderr, "curl %d http %ld\n", rc, code); return 1; }
        if (i >= warmup) lat[i - warmup] = t1 - t0;
    }
    report("libcurl", lat, n);
    curl_slist_free_all(h);
    curl_easy_cleanup(curl);
    curl_global_cleanup();
    free(lat);
    return 0;
}
