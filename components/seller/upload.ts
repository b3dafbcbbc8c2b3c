// The submit: XHR rather than fetch because only XHR reports upload progress.

export interface ApiError {
  code: string;
  message: string;
  field?: string;
}

export type UploadOutcome =
  | { ok: true; status: number; body: { id: string } }
  | { ok: false; status: number; error: ApiError };

/** POSTs the form to /api/appraisals; `onProgress` gets 0–1 as bytes leave the browser. */
export function postAppraisal(
  form: FormData,
  idempotencyKey: string,
  onProgress: (fraction: number) => void,
): Promise<UploadOutcome> {
  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", "/api/appraisals");
    xhr.setRequestHeader("Idempotency-Key", idempotencyKey);
    xhr.responseType = "json";
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && e.total > 0) onProgress(e.loaded / e.total);
    };
    xhr.upload.onload = () => onProgress(1);
    xhr.onload = () => {
      const body = xhr.response as { id?: string; error?: ApiError } | null;
      if (xhr.status >= 200 && xhr.status < 300 && body?.id) {
        resolve({ ok: true, status: xhr.status, body: { id: body.id } });
      } else {
        resolve({
          ok: false,
          status: xhr.status,
          error: body?.error ?? {
            code: "internal",
            message: `The server answered ${xhr.status || "nothing"}. Please try again in a moment.`,
          },
        });
      }
    };
    xhr.onerror = () =>
      resolve({
        ok: false,
        status: 0,
        error: {
          code: "network",
          message: "The connection dropped while uploading. Your photos are still here — try again.",
        },
      });
    xhr.ontimeout = xhr.onerror;
    xhr.send(form);
  });
}
