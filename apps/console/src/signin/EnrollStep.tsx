// First sign-in: set up an authenticator app from a QR code (rendered here,
// the secret never leaves the browser again) or the secret typed by hand.
import { useEffect, useState } from "react";

export function EnrollInstructions({ otpauthUri, secret }: { otpauthUri: string; secret: string }) {
  const [qr, setQr] = useState<string | null>(null);
  useEffect(() => {
    let cancelled = false;
    // Loaded only here: enrolment happens once per person.
    import("qrcode")
      .then((QRCode) => QRCode.toDataURL(otpauthUri, { margin: 1, width: 200, errorCorrectionLevel: "M" }))
      .then(
        (url) => {
          if (!cancelled) setQr(url);
        },
        () => setQr(null),
      );
    return () => {
      cancelled = true;
    };
  }, [otpauthUri]);
  const grouped = secret.replace(/(.{4})/g, "$1 ").trim();
  return (
    <div className="enroll">
      <p>
        Your account needs a second factor. Scan this code with an authenticator app (1Password, Google Authenticator,
        Authy…), then enter the 6-digit code it shows.
      </p>
      <div className="enroll-qr">
        {qr ? (
          <img src={qr} width={200} height={200} alt="QR code to add this account to an authenticator app" />
        ) : (
          <div className="qr-placeholder" aria-hidden="true" />
        )}
      </div>
      <p className="small">Can't scan it? Enter this key by hand:</p>
      <code className="secret-text" data-testid="totp-secret">
        {grouped}
      </code>
    </div>
  );
}
