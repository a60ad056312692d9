/* The libcurl side of the benchmarks: the cancel POST on one kept-alive handle. */
#include <string.h>
#include <curl/curl.h>

struct curl_post {
    CURL *curl;
    struct curl_slist *headers;
    char body[16384];
    size_t len;
};

static size_t curl_post_sink(char *p, size_t size, size_t n, void *user) {
    struct curl_post *c = user;
    size_t len = size * n;
    if (c->len + len < sizeof c->body) { memcpy(c->body + c->len, p, len); c->len += len; }
    return len;
}

/* The same request libmde sends: headers, body, no Nagle delay. */
static void curl_post_init(struct curl_post *c) {
    curl_global_init(CURL_GLOBAL_DEFAULT);
    c->curl = curl_easy_init();
    c->headers = curl_slist_append(NULL, "Authorization: Bearer bench");
    c->headers = curl_slist_append(c->headers, "Content-Type: application/json");
    c->headers = curl_slist_append(c->headers, "Accept: application/json");
    curl_easy_setopt(c->curl, CURLOPT_HTTPHEADER, c->headers);
    curl_easy_setopt(c->curl, CURLOPT_POSTFIELDS, "{\"Comment\":\"bench\"}");
    curl_easy_setopt(c->curl, CURLOPT_WRITEFUNCTION, curl_post_sink);
    curl_easy_setopt(c->curl, CURLOPT_WRITEDATA, c);
    curl_easy_setopt(c->curl, CURLOPT_TCP_NODELAY, 1L);
}

/* Cancels one action; 0 on HTTP 200. */
static int curl_post_cancel(struct curl_post *c, const char *base, const char *id) {
    char url[256];
    long code = 0;
    snprintf(url, sizeof url, "%s/api/machineactions/%s/cancel", base, id);
    curl_easy_setopt(c->curl, CURLOPT_URL, url);
    c->len = 0;
    if (curl_easy_perform(c->curl) != CURLE_OK) return -1;
    curl_easy_getinfo(c->curl, CURLINFO_RESPONSE_CODE, &code);
    if (code != 200) { fprintf(stderr, "curl http %ld\n", code); return -1; }
    return 0;
}

static void curl_post_free(struct curl_post *c) {
    curl_slist_free_all(c->headers);
    curl_easy_cleanup(c->curl);
    curl_global_cleanup();
}
