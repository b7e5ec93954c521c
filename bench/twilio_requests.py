"""Pre-signed Twilio inbound-message callbacks for bench/webhooks.sh, one per line.

Each line is `signature<TAB>form body`: a form as Twilio posts it to the messaging webhook,
with its own MessageSid and contact, signed as Twilio documents (HMAC-SHA1, keyed by the auth
token, over the URL followed by each parameter's name and value in name order, base64). The
replies are a realistic mix: mostly ordinary answers, some STOPs, some plain requests to stop
that the rules flag for review.

Usage: twilio_requests.py AUTH_TOKEN URL SENDER COUNT OUT
"""

import base64
import hashlib
import hmac
import sys
import urllib.parse

REPLIES = ["yes", "Thanks, see you Thursday", "who is this?", "ok", "STOP", "please stop texting me",
           "Can I bring my neighbour?", "No thanks", "sí, ahí estaré", "STOP", "Merci, à jeudi"]


def contact(n):
    """A different valid North American mobile number for each n, up to 35 million."""
    area = [302, 415, 212, 646, 718][n // 7_000_000]
    return f"+1{area}{200 + n // 10_000 % 700}{n % 10_000:04d}"


def main():
    token, url, sender, count, out = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5]
    with open(out, "w") as f:
        for n in range(count):
            params = {
                "ToCountry": "US", "SmsMessageSid": f"SM{n:032x}", "NumMedia": "0", "SmsStatus": "received",
                "Body": REPLIES[n % len(REPLIES)], "To": sender, "NumSegments": "1",
                "MessageSid": f"SM{n:032x}", "AccountSid": "AC" + "0" * 31 + "1",
                "From": contact(n), "ApiVersion": "2010-04-01",
            }
            signed = url + "".join(k + params[k] for k in sorted(params))
            digest = hmac.new(token.encode(), signed.encode(), hashlib.sha1).digest()
            f.write(base64.b64encode(digest).decode() + "\t" + urllib.parse.urlencode(params) + "\n")


if __name__ == "__main__":
    main()
