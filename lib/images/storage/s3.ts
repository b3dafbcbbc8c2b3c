import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from "@aws-sdk/client-s3";
import { AppError } from "../../errors";
import { assertPhotoKey, contentTypeFor, isPhotoKey, photoKeyFor } from "./keys";
import type { PhotoExt, PhotoStorage, StoredPhoto } from "./types";

export interface S3StorageConfig {
  endpoint?: string;
  bucket: string;
  region: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  /** Object-name prefix, so the bucket can hold other things too. */
  prefix?: string;
  /** Keys per ListObjectsV2 page (S3's maximum and default is 1000). */
  listPageSize?: number;
}

function isNotFound(err: unknown): boolean {
  if (!(err instanceof S3ServiceException)) return false;
  return err.name === "NotFound" || err.name === "NoSuchKey" || err.$metadata.httpStatusCode === 404;
}

/** Photos as objects in an S3-compatible bucket (AWS, MinIO, R2, Ceph…), for running more than one app instance. */
export class S3PhotoStorage implements PhotoStorage {
  private readonly client: S3Client;
  private readonly bucket: string;
  private readonly prefix: string;
  private readonly listPageSize: number;

  constructor(config: S3StorageConfig, client?: S3Client) {
    this.bucket = config.bucket;
    this.prefix = config.prefix ?? "photos/";
    this.listPageSize = config.listPageSize ?? 1000;
    this.client =
      client ??
      new S3Client({
        endpoint: config.endpoint,
        region: config.region,
        // Self-hosted stores (MinIO and the like) are addressed by path, not by bucket subdomain.
        forcePathStyle: Boolean(config.endpoint),
        credentials:
          config.accessKeyId && config.secretAccessKey
            ? { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey }
            : undefined,
        // Checksums only where S3 requires them: many S3-compatible stores reject the SDK's default
        // streaming CRC trailers. Content addressing already gives end-to-end integrity (sha256 key).
        requestChecksumCalculation: "WHEN_REQUIRED",
        responseChecksumValidation: "WHEN_REQUIRED",
      });
  }

  private objectName(key: string): string {
    assertPhotoKey(key);
    return `${this.prefix}${key}`;
  }

  async put(bytes: Buffer, ext: PhotoExt): Promise<string> {
    const key = photoKeyFor(bytes, ext);
    // S3 PUT is atomic (readers see the old object or the whole new one), and the same key always
    // means the same bytes, so a concurrent or repeated put is harmless.
    if (await this.exists(key)) return key;
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: this.objectName(key),
        Body: bytes,
        ContentType: contentTypeFor(key),
        CacheControl: "private, max-age=31536000, immutable",
      }),
    );
    return key;
  }

  async get(key: string): Promise<Buffer> {
    try {
      const res = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.objectName(key) }));
      if (!res.Body) throw new Error(`empty body for ${key}`);
      return Buffer.from(await res.Body.transformToByteArray());
    } catch (err) {
      if (isNotFound(err)) throw new AppError("not_found", "Photo not found.");
      throw err;
    }
  }

  async delete(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.objectName(key) }));
  }

  async exists(key: string): Promise<boolean> {
    try {
      await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: this.objectName(key) }));
      return true;
    } catch (err) {
      if (isNotFound(err)) return false;
      throw err;
    }
  }

  async *list(): AsyncIterable<StoredPhoto> {
    let token: string | undefined;
    do {
      const page = await this.client.send(
        new ListObjectsV2Command({
          Bucket: this.bucket,
          Prefix: this.prefix,
          ContinuationToken: token,
          MaxKeys: this.listPageSize,
        }),
      );
      for (const object of page.Contents ?? []) {
        const key = object.Key?.slice(this.prefix.length);
        if (isPhotoKey(key)) yield { key, modifiedAt: object.LastModified ?? new Date(0) };
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }
}
