// The header compiles as C++ and can be included twice.
#include "mde.h"
#include "mde.h"

int main() {
    mde_client *client = nullptr;
    mde_error *error = nullptr;
    mde_status s = mde_client_new("{\"bogus\": 1}", &client, &error);
    bool ok = s == MDE_STATUS_INVALID_ARGUMENT && client == nullptr && error != nullptr;
    mde_error_free(error);
    return ok ? 0 : 1;
}
