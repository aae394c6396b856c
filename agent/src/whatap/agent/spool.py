"""The outage spool: a bounded FIFO of records in append-only segment files in ``$WHATAP_HOME/spool``.

A segment (``<kind>-<number>.seg``, 0600, created O_EXCL|O_NOFOLLOW through the directory's fd)
is a run of records: a 16-byte header (payload length, CRC-32 of the payload, the record's 5 s
slot in epoch ms) then the payload, the sealed transaction JSON exactly as the outbox holds it
(parameters stay encrypted). Nothing is fsynced: a crash may cut the last record short, and a
record that is short or fails its CRC ends its segment (it and anything after it are skipped).

Reading hands out records in order together with their segment; the segment's file is deleted
once every record was read and every batch built from it acknowledged (``done``). Beyond the
byte bound the oldest segment is deleted and its unread records are counted as dropped, by slot.
Not thread-safe: the outbox holds its lock around every call.
"""
import collections
import os
import re
import stat
import struct
import zlib

HEADER = struct.Struct(">IIq")  # payload length, crc32(payload), slot (epoch ms)
MAX_RECORD = 16 << 20
_NAME = re.compile(r"^([a-z]+)-(\d{12})\.seg$")
_OPEN_FLAGS = os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)


class Segment:
    __slots__ = ("number", "name", "size", "records", "read_off", "read_records", "slots", "outstanding",
                 "sealed", "gone", "fd")

    def __init__(self, number, name):
        self.number, self.name = number, name
        self.size = self.records = self.read_off = self.read_records = self.outstanding = 0
        self.slots = collections.deque()  # [slot, count] runs of the unread records, in order
        self.sealed = False                # no more appends
        self.gone = False                  # deleted (drained, or dropped by the bound)
        self.fd = None                     # read descriptor while being read

    def add_slot(self, slot):
        if self.slots and self.slots[-1][0] == slot:
            self.slots[-1][1] += 1
        else:
            self.slots.append([slot, 1])

    def take_slot(self):
        run = self.slots[0]
        run[1] -= 1
        if not run[1]:
            self.slots.popleft()


class SegmentQueue:
    """Records of one kind (``tx``, ``ct``) in the spool directory ``dir_fd``."""

    def __init__(self, dir_fd, kind, max_bytes, segment_bytes, notes=None):
        self.dir_fd, self.kind = dir_fd, kind
        self.max_bytes = max_bytes
        self.segment_bytes = max(64 << 10, min(segment_bytes, max_bytes // 4))
        self.segments = collections.deque()
        self.writing = None   # the segment being appended to
        self.write_fd = None
        self.bytes = 0
        self.unread = 0
        self.next_number = 1
        self.dropped = collections.Counter()  # slot -> records deleted unread by the bound
        self._load(notes if notes is not None else [])

    # -- start: what a previous run left --------------------------------------------------------
    def _load(self, notes):
        found = []
        for name in os.listdir(self.dir_fd):
            m = _NAME.match(name)
            if m and m.group(1) == self.kind:
                found.append((int(m.group(2)), name))
        for number, name in sorted(found):
            self.next_number = max(self.next_number, number + 1)
            seg = Segment(number, name)
            try:
                data = self._read_whole(name)
            except OSError as e:
                notes.append("spool: %s is not used (%s)" % (name, e.strerror or e))
                continue
            end = 0
            for _, slot, end in iter_records(data):
                seg.records += 1
                seg.add_slot(slot)
            if end < len(data):
                notes.append("spool: %s ends with %d bytes that are not a whole record (the agent stopped while "
                             "writing); they are skipped" % (name, len(data) - end))
            if not seg.records:
                self._unlink(seg)
                continue
            seg.size, seg.sealed = end, True
            self.segments.append(seg)
            self.bytes += seg.size
            self.unread += seg.records

    def _read_whole(self, name):
        fd = os.open(name, os.O_RDONLY | os.O_NONBLOCK | _OPEN_FLAGS, dir_fd=self.dir_fd)
        try:
            st = os.fstat(fd)
            if not stat.S_ISREG(st.st_mode) or st.st_uid != os.geteuid() or st.st_mode & 0o077:
                raise OSError(0, "not a private regular file of this user")
            chunks = []
            while True:
                chunk = os.read(fd, 1 << 20)
                if not chunk:
                    return b"".join(chunks)
                chunks.append(chunk)
        finally:
            os.close(fd)

    # -- writing ---------------------------------------------------------------------------------
    def append(self, payload, slot):
        """Appends one record; raises OSError (disk full, unwritable) with nothing half-written kept."""
        record = HEADER.pack(len(payload), zlib.crc32(payload), slot) + payload
        while self.segments and self.bytes + len(record) > self.max_bytes and self.segments[0] is not self.writing:
            self._drop_oldest()
        if self.writing is not None and self.writing.size + len(record) > self.segment_bytes:
            self._seal()
        if self.writing is None:
            self._new_segment()
        seg, fd = self.writing, self.write_fd
        try:
            written = 0
            while written < len(record):
                written += os.write(fd, record[written:])
        except OSError:
            try:
                os.ftruncate(fd, seg.size)  # no half record stays behind
            except OSError:
                pass
            self._seal()
            raise
        seg.size += len(record)
        seg.records += 1
        seg.add_slot(slot)
        self.bytes += len(record)
        self.unread += 1

    def _new_segment(self):
        for _ in range(100):
            name = "%s-%012d.seg" % (self.kind, self.next_number)
            seg = Segment(self.next_number, name)
            self.next_number += 1
            try:
                fd = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_APPEND | _OPEN_FLAGS, 0o600,
                             dir_fd=self.dir_fd)
            except FileExistsError:
                continue
            os.fchmod(fd, 0o600)
            self.writing, self.write_fd = seg, fd
            self.segments.append(seg)
            return
        raise OSError(0, "cannot create a new segment file")

    def _seal(self):
        seg, fd = self.writing, self.write_fd
        self.writing, self.write_fd = None, None
        if fd is not None:
            os.close(fd)
        if seg is not None:
            seg.sealed = True
            if not seg.records:
                self._remove(seg)

    def _drop_oldest(self):
        seg = self.segments[0]
        for slot, count in seg.slots:
            self.dropped[slot] += count
        self.unread -= seg.records - seg.read_records
        self._remove(seg)

    # -- reading ---------------------------------------------------------------------------------
    def read(self, max_records, max_bytes):
        """``(payloads, segment)`` of the next unread records of one segment, or ``([], None)``."""
        for seg in self.segments:
            if seg.read_records < seg.records:
                break
        else:
            return [], None
        if seg.fd is None:
            seg.fd = os.open(seg.name, os.O_RDONLY | _OPEN_FLAGS, dir_fd=self.dir_fd)
        out, size = [], 0
        while seg.read_records < seg.records and len(out) < max_records:
            header = os.pread(seg.fd, HEADER.size, seg.read_off)
            length, crc, _ = HEADER.unpack(header) if len(header) == HEADER.size else (0, 0, 0)
            if out and size + length > max_bytes:
                break
            payload = os.pread(seg.fd, length, seg.read_off + HEADER.size) if length else b""
            if len(header) < HEADER.size or len(payload) != length or zlib.crc32(payload) != crc:
                self._cut(seg)  # changed under us: what follows cannot be trusted
                break
            out.append(payload)
            size += length
            seg.read_off += HEADER.size + length
            seg.read_records += 1
            seg.take_slot()
            self.unread -= 1
        if not out:
            return [], None
        seg.outstanding += 1
        if seg.read_records == seg.records and seg.fd is not None and (seg.sealed or seg is not self.writing):
            os.close(seg.fd)
            seg.fd = None
        return out, seg

    def _cut(self, seg):
        lost = seg.records - seg.read_records
        self.unread -= lost
        for slot, count in seg.slots:
            self.dropped[slot] += count
        seg.slots.clear()
        seg.records = seg.read_records
        if seg is self.writing:
            self._seal()

    def done(self, seg):
        """Every record of one ``read`` is acknowledged (or given up): the file goes when all are."""
        if seg is None or seg.gone:
            return
        seg.outstanding -= 1
        if seg.outstanding <= 0 and seg.read_records == seg.records:
            if seg is self.writing:
                self._seal()
            if seg.sealed and not seg.gone:
                self._remove(seg)

    def take_dropped(self):
        dropped, self.dropped = self.dropped, collections.Counter()
        return dropped

    # -- housekeeping ----------------------------------------------------------------------------
    def _remove(self, seg):
        if seg.fd is not None:
            os.close(seg.fd)
            seg.fd = None
        if seg is self.writing:
            os.close(self.write_fd)
            self.writing, self.write_fd = None, None
        seg.gone = True
        try:
            self.segments.remove(seg)
        except ValueError:
            pass
        self.bytes -= seg.size
        self._unlink(seg)

    def _unlink(self, seg):
        try:
            os.unlink(seg.name, dir_fd=self.dir_fd)
        except OSError:
            pass

    def close(self):
        for seg in self.segments:
            if seg.fd is not None:
                os.close(seg.fd)
                seg.fd = None
        self._seal()


def iter_records(data):
    """``(payload, slot, end_offset)`` of each whole, intact record of a segment's bytes."""
    off = 0
    while off + HEADER.size <= len(data):
        length, crc, slot = HEADER.unpack_from(data, off)
        end = off + HEADER.size + length
        if length > MAX_RECORD or end > len(data):
            return
        payload = data[off + HEADER.size:end]
        if zlib.crc32(payload) != crc:
            return
        yield payload, slot, end
        off = end
