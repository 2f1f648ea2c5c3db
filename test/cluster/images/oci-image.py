#!/usr/bin/env python3
"""Writes an OCI image layout archive (a tar with oci-layout, index.json and blobs/sha256/*) from layers and a config.

Standard library only; layer directories are packed with the system tar. Everything is deterministic: layer tars are
sorted with one fixed mtime and numeric owners, gzip runs with mtime 0, JSON is written with sorted keys and the
archive's own entries are sorted with fixed metadata, so the same inputs always give the same digests and a second
`ctr images import` of the archive changes nothing.

index.json names the image twice: `io.containerd.image.name` (the full reference, which `ctr images import` registers
as is) and `org.opencontainers.image.ref.name` (the tag, as the OCI layout convention has it).

  oci-image.py --out redis.tar --ref docker.io/library/redis:7.0.15 \
      --layer /cache/base/layer.tar --layer ./redis-layer-dir \
      --user redis --workdir /data --entrypoint '["docker-entrypoint.sh"]' --cmd '["redis-server"]' \
      --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin --expose 6379/tcp --volume /data \
      --label org.opencontainers.image.version=7.0.15 --blob-cache /cache/blobs
"""
import argparse
import gzip
import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile

LAYER_MEDIA = "application/vnd.oci.image.layer.v1.tar+gzip"
CONFIG_MEDIA = "application/vnd.oci.image.config.v1+json"
MANIFEST_MEDIA = "application/vnd.oci.image.manifest.v1+json"
INDEX_MEDIA = "application/vnd.oci.image.index.v1+json"
EPOCH = "1970-01-01T00:00:00Z"
CHUNK = 1 << 20


def canonical(obj):
    return json.dumps(obj, sort_keys=True, separators=(",", ":")).encode()


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(CHUNK), b""):
            h.update(block)
    return h.hexdigest()


def pack_dir(directory, out):
    """The same recipe as common.sh's layer_tar: sorted, mtime 0, numeric owners, file capabilities kept."""
    subprocess.run(
        ["tar", "--create", "--file", out, "--directory", directory, "--sort=name", "--format=posix",
         "--pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime", "--numeric-owner", "--mtime=@0",
         "--no-acls", "--no-selinux", "--xattrs", "--xattrs-include=security.capability", "."],
        check=True)


def tar_digest(path):
    """sha256 of a layer tar; a PATH.sha256 file at least as new as the tar stands for it (big cached layers)."""
    side = path + ".sha256"
    try:
        if os.path.getmtime(side) >= os.path.getmtime(path):
            with open(side) as f:
                value = f.read().split()[0]
            if len(value) == 64:
                return value
    except OSError:
        pass
    return sha256_file(path)


def gzip_layer(tar_path, diff_id, cache):
    """Compresses a layer tar (gzip, mtime 0, no name), cached by the tar's digest: returns (path, digest, size)."""
    cached = os.path.join(cache, diff_id + ".tar.gz") if cache else None
    meta = cached + ".json" if cached else None
    if cached and os.path.exists(cached) and os.path.exists(meta):
        with open(meta) as f:
            m = json.load(f)
        return cached, m["digest"], m["size"]
    fd, tmp = tempfile.mkstemp(suffix=".tar.gz", dir=cache or None)
    os.close(fd)
    h = hashlib.sha256()
    size = 0

    class Hashing(io.RawIOBase):
        def __init__(self, f):
            self.f = f

        def writable(self):
            return True

        def write(self, b):
            nonlocal size
            h.update(b)
            size += len(b)
            return self.f.write(b)

    with open(tmp, "wb") as raw:
        sink = Hashing(raw)
        with gzip.GzipFile(filename="", mode="wb", fileobj=sink, mtime=0, compresslevel=6) as gz:
            with open(tar_path, "rb") as src:
                shutil.copyfileobj(src, gz, CHUNK)
    digest = "sha256:" + h.hexdigest()
    if cached:
        os.replace(tmp, cached)
        with open(meta + ".tmp", "w") as f:
            json.dump({"digest": digest, "size": size}, f)
        os.replace(meta + ".tmp", meta)
        return cached, digest, size
    return tmp, digest, size


def add_bytes(tar, name, data):
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = 0
    info.mode = 0o644
    tar.addfile(info, io.BytesIO(data))


def add_file(tar, name, path):
    info = tarfile.TarInfo(name)
    info.size = os.path.getsize(path)
    info.mtime = 0
    info.mode = 0o644
    with open(path, "rb") as f:
        tar.addfile(info, f)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--out", required=True, help="archive to write (an OCI image layout in a tar)")
    p.add_argument("--ref", required=True, help="full image reference, e.g. docker.io/library/redis:7.0.15")
    p.add_argument("--layer", action="append", default=[], help="layer: a .tar file or a directory (in order, base first)")
    p.add_argument("--user", default="")
    p.add_argument("--workdir", default="")
    p.add_argument("--entrypoint", help="JSON array")
    p.add_argument("--cmd", help="JSON array")
    p.add_argument("--env", action="append", default=[], help="NAME=VALUE")
    p.add_argument("--expose", action="append", default=[], help="PORT/PROTO")
    p.add_argument("--volume", action="append", default=[])
    p.add_argument("--label", action="append", default=[], help="KEY=VALUE")
    p.add_argument("--stop-signal", default="")
    p.add_argument("--blob-cache", help="folder that keeps compressed layers by the digest of their tar")
    p.add_argument("--arch", default="amd64")
    a = p.parse_args()

    if ":" not in a.ref.rsplit("/", 1)[-1]:
        sys.exit("--ref must carry a tag: " + a.ref)
    if a.blob_cache:
        os.makedirs(a.blob_cache, exist_ok=True)
    work = tempfile.mkdtemp(prefix="oci-image-")
    try:
        layers = []  # (gz path, digest, size, diff_id)
        for i, src in enumerate(a.layer):
            if os.path.isdir(src):
                tar_path = os.path.join(work, "layer%d.tar" % i)
                pack_dir(src, tar_path)
            elif os.path.isfile(src):
                tar_path = src
            else:
                sys.exit("no such layer: " + src)
            diff_id = "sha256:" + tar_digest(tar_path)
            gz, digest, size = gzip_layer(tar_path, diff_id.split(":", 1)[1], a.blob_cache or work)
            layers.append((gz, digest, size, diff_id))

        cfg = {}
        if a.user:
            cfg["User"] = a.user
        if a.env:
            cfg["Env"] = a.env
        if a.entrypoint is not None:
            cfg["Entrypoint"] = json.loads(a.entrypoint)
        if a.cmd is not None:
            cfg["Cmd"] = json.loads(a.cmd)
        if a.workdir:
            cfg["WorkingDir"] = a.workdir
        if a.expose:
            cfg["ExposedPorts"] = {(e if "/" in e else e + "/tcp"): {} for e in a.expose}
        if a.volume:
            cfg["Volumes"] = {v: {} for v in a.volume}
        if a.label:
            cfg["Labels"] = dict(kv.split("=", 1) for kv in a.label)
        if a.stop_signal:
            cfg["StopSignal"] = a.stop_signal
        config = {
            "architecture": a.arch,
            "os": "linux",
            "created": EPOCH,
            "config": cfg,
            "rootfs": {"type": "layers", "diff_ids": [l[3] for l in layers]},
            "history": [{"created": EPOCH, "created_by": "test/cluster/images/oci-image.py layer %d" % i}
                        for i in range(len(layers))],
        }
        config_bytes = canonical(config)
        config_digest = "sha256:" + hashlib.sha256(config_bytes).hexdigest()
        manifest = {
            "schemaVersion": 2,
            "mediaType": MANIFEST_MEDIA,
            "config": {"mediaType": CONFIG_MEDIA, "digest": config_digest, "size": len(config_bytes)},
            "layers": [{"mediaType": LAYER_MEDIA, "digest": l[1], "size": l[2]} for l in layers],
        }
        manifest_bytes = canonical(manifest)
        manifest_digest = "sha256:" + hashlib.sha256(manifest_bytes).hexdigest()
        tag = a.ref.rsplit(":", 1)[1]
        index = {
            "schemaVersion": 2,
            "mediaType": INDEX_MEDIA,
            "manifests": [{
                "mediaType": MANIFEST_MEDIA,
                "digest": manifest_digest,
                "size": len(manifest_bytes),
                "platform": {"architecture": a.arch, "os": "linux"},
                "annotations": {"io.containerd.image.name": a.ref, "org.opencontainers.image.ref.name": tag},
            }],
        }

        blobs = {config_digest: ("bytes", config_bytes), manifest_digest: ("bytes", manifest_bytes)}
        for gz, digest, _, _ in layers:
            blobs[digest] = ("file", gz)
        tmp_out = a.out + ".tmp"
        with tarfile.open(tmp_out, "w", format=tarfile.GNU_FORMAT) as tar:
            for d in ("blobs", "blobs/sha256"):
                info = tarfile.TarInfo(d)
                info.type = tarfile.DIRTYPE
                info.mode = 0o755
                info.mtime = 0
                tar.addfile(info)
            for digest in sorted(blobs):
                kind, val = blobs[digest]
                name = "blobs/sha256/" + digest.split(":", 1)[1]
                if kind == "bytes":
                    add_bytes(tar, name, val)
                else:
                    add_file(tar, name, val)
            add_bytes(tar, "index.json", canonical(index))
            add_bytes(tar, "oci-layout", canonical({"imageLayoutVersion": "1.0.0"}))
        os.replace(tmp_out, a.out)
        print(json.dumps({"ref": a.ref, "manifest": manifest_digest, "config": config_digest,
                          "layers": [l[1] for l in layers]}))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
