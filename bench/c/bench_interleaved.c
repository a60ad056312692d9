/*
 * libmde and libcurl side by side in one process, call by call, so machine noise
 * falls on both alike. Usage: bench_interleaved URL N WARMUP
 */
#include "common.h"
#include "curl_post.h"
#include "mde.h"

int main(int argc, char **argv) {
    (void)argc;
    int n = atoi(argv[2]), warmup = atoi(argv[3]);
    char config[256];
    snprintf(config, sizeof config, "{\"base_url\": \"%s\", \"token\": \"bench\", \"rate_limits\": []}", argv[1]);
    mde_client *client = NULL;
    if (mde_client_new(config, &client, NULL) != MDE_STATUS_OK) return 1;
    struct curl_post c;
    curl_post_init(&c);

    double *lat_mde = malloc(sizeof(double) * n), *lat_curl = malloc(sizeof(double) * n);
    double *cpu_mde = malloc(sizeof(double) * n), *cpu_curl = malloc(sizeof(double) * n);
    for (int i = 0; i < warmup + n; i++) {
        /* Alternate which goes first, so neither always follows the other. */
        for (int turn = 0; turn < 2; turn++) {
            int mde_now = (turn == (i & 1));
            char id[40];
            char *json = NULL;
            action_id(id, mde_now ? 40000000 : 50000000, i);
            double t0 = now_us(), c0 = cpu_us();
            if (mde_now) {
                mde_status s = mde_cancel_action(client, id, "bench", &json, NULL);
                if (s != MDE_STATUS_OK) { fprintf(stderr, "libmde status %d\n", s); return 1; }
                mde_string_free(json);
            } else if (curl_post_cancel(&c, argv[1], id) != 0) {
                return 1;
            }
            double t1 = now_us(), c1 = cpu_us();
            if (i >= warmup) {
                (mde_now ? lat_mde : lat_curl)[i - warmup] = t1 - t0;
                (mde_now ? cpu_mde : cpu_curl)[i - warmup] = c1 - c0;
            }
        }
    }
    report("libcurl", lat_curl, cpu_curl, n);
    report("libmde", lat_mde, cpu_mde, n);
    curl_post_free(&c);
    mde_client_free(client);
    free(lat_mde);
    free(lat_curl);
    free(cpu_mde);
    free(cpu_curl);
    return 0;
}
