#include "common/crypto/hash.h"

#include <catch2/catch.hpp>

#include "common/crypto/hex.h"

using cs::as_bytes;
using cs::Bytes;
using namespace cs::crypto;

namespace {

std::string hmac_hex(HashAlg alg, const Bytes& key, std::string_view data) {
  return hex_encode(hmac(alg, key, as_bytes(data)));
}

}  // namespace

TEST_CASE("SHA-256 matches the FIPS 180-2 examples", "[hash]") {
  CHECK(hex_encode(sha256("abc")) ==
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(hex_encode(sha256("")) ==
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(hex_encode(sha256("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")) ==
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST_CASE("HMAC matches RFC 4231 test case 1", "[hmac]") {
  const Bytes key(20, 0x0b);
  CHECK(hmac_hex(HashAlg::sha256, key, "Hi There") ==
        "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
  CHECK(hmac_hex(HashAlg::sha512, key, "Hi There") ==
        "87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cde"
        "daa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854");
}

TEST_CASE("HMAC matches RFC 4231 test case 2 (key shorter than the output)", "[hmac]") {
  const Bytes key{'J', 'e', 'f', 'e'};
  const std::string data = "what do ya want for nothing?";
  CHECK(hmac_hex(HashAlg::sha256, key, data) ==
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  CHECK(hmac_hex(HashAlg::sha384, key, data) ==
        "af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e"
        "8e2240ca5e69e2c78b3239ecfab21649");
  CHECK(hmac_hex(HashAlg::sha512, key, data) ==
        "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea250554"
        "9758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737");
}

TEST_CASE("HMAC matches RFC 4231 test cases 3, 6 and 7", "[hmac]") {
  CHECK(hex_encode(hmac(HashAlg::sha256, Bytes(20, 0xaa), Bytes(50, 0xdd))) ==
        "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe");
  // Keys longer than the block size are hashed first.
  const Bytes long_key(131, 0xaa);
  CHECK(hmac_hex(HashAlg::sha256, long_key,
                 "Test Using Larger Than Block-Size Key - Hash Key First") ==
        "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
  CHECK(hmac_hex(HashAlg::sha256, long_key,
                 "This is a test using a larger than block-size key and a larger than block-size "
                 "data. The key needs to be hashed before being used by the HMAC algorithm.") ==
        "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2");
}

TEST_CASE("HMAC accepts an empty key", "[hmac]") {
  // Value from Python's hmac module for key b"" and message b"".
  CHECK(hex_encode(hmac(HashAlg::sha256, Bytes{}, Bytes{})) ==
        "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad");
}
