"use client";

import {
  type Announcements,
  closestCenter,
  DndContext,
  type DragEndEvent,
  type KeyboardCoordinateGetter,
  KeyboardSensor,
  PointerSensor,
  TouchSensor,
  useSensor,
  useSensors,
} from "@dnd-kit/core";
import { rectSwappingStrategy, SortableContext } from "@dnd-kit/sortable";
import { useRouter } from "next/navigation";
import { useEffect, useId, useMemo, useRef, useState } from "react";
import { AlertIcon } from "@/components/ui/icons";
import { ProgressBar } from "@/components/ui/progress-bar";
import { PhotoSlot } from "./photo-slot";
import { shrinkForUpload } from "./shrink";
import {
  buildFormData,
  checkFile,
  emptySlots,
  FRONT,
  fillEmptySlots,
  formatBytes,
  newIdempotencyKey,
  type PickedPhoto,
  placeInSlot,
  removeFromSlot,
  type Slots,
  slotLabel,
  slotOf,
  slotOfField,
  swapSlots,
} from "./slots";
import { postAppraisal } from "./upload";

export interface AppraisalFormProps {
  maxPhotoBytes: number;
  maxPhotos: number;
  categories: { value: string; label: string }[];
}

type Phase =
  | { kind: "idle" }
  | { kind: "preparing" }
  | { kind: "uploading"; progress: number }
  | { kind: "appraising" }
  | { kind: "done" };

let nextPhotoId = 0;
const pick = (file: File): PickedPhoto => ({ id: `photo-${++nextPhotoId}`, file });
const slotIndex = (id: string | number) => Number(String(id).replace("slot-", ""));

const STEP: Record<string, number> = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 };

/**
 * Keyboard moves walk the slots in their reading order (Front, Back, Other 1…), one per arrow
 * press, centring the lifted photo on the next slot. dnd-kit's grid-geometry default gets lost
 * when Front and Back are larger than the Other slots.
 */
const slotOrderCoordinates: KeyboardCoordinateGetter = (event, { context }) => {
  const step = STEP[event.code];
  const { active, over, droppableRects, collisionRect } = context;
  if (!step || !active || !collisionRect) return undefined;
  event.preventDefault();
  const target = droppableRects.get(`slot-${slotIndex(over?.id ?? active.id) + step}`);
  if (!target) return undefined;
  return {
    x: target.left + target.width / 2 - collisionRect.width / 2,
    y: target.top + target.height / 2 - collisionRect.height / 2,
  };
};

/** The seller's upload form: ordered photo slots, optional category, submit with progress. */
export function AppraisalForm({ maxPhotoBytes, maxPhotos, categories }: AppraisalFormProps) {
  const router = useRouter();
  const [slots, setSlots] = useState<Slots>(() => emptySlots(Math.max(1, Math.min(8, maxPhotos))));
  const [slotErrors, setSlotErrors] = useState<Record<number, string>>({});
  const [notice, setNotice] = useState<string>();
  const [formError, setFormError] = useState<string>();
  const [category, setCategory] = useState("");
  const [phase, setPhase] = useState<Phase>({ kind: "idle" });
  const [announcement, setAnnouncement] = useState("");
  // Set once React has attached its handlers; before that a picked file would go nowhere.
  const [ready, setReady] = useState(false);
  useEffect(() => setReady(true), []);
  // Kept across retries of the same photos, so a retried submit can never create a second appraisal.
  const keyRef = useRef<string | null>(null);
  const alertRef = useRef<HTMLDivElement>(null);
  const categoryId = useId();
  // dnd-kit numbers its ARIA ids with a global counter; a React id keeps server and client markup equal.
  const dndId = useId();
  const hintId = useId();

  const busy = phase.kind !== "idle";
  const filled = slots.filter(Boolean).length;
  const blockingError = slots.some((p, i) => p && slotErrors[i]);
  const canSubmit = !busy && slots[FRONT] !== null && !blockingError;

  const change = (next: Slots, errors: Record<number, string> = {}, message?: string) => {
    setSlots(next);
    setSlotErrors(errors);
    setFormError(undefined);
    keyRef.current = null;
    if (message) setAnnouncement(message);
  };

  const onFiles = (slot: number, files: File[]) => {
    if (files.length === 0) return;
    if (files.length === 1) {
      const problem = checkFile(files[0], slot, maxPhotoBytes);
      if (problem) {
        setSlotErrors({ ...slotErrors, [slot]: problem });
        setAnnouncement(problem);
        return;
      }
      const photo = pick(files[0]);
      const next = placeInSlot(slots, slot, photo);
      setNotice(undefined);
      change(next, {}, `Added ${files[0].name} as the ${slotLabel(slotOf(next, photo.id))} photo.`);
      return;
    }
    // Several files at once fill the empty slots in order: Front, Back, then Other.
    const problems: string[] = [];
    const good: PickedPhoto[] = [];
    for (const file of files) {
      const problem = checkFile(file, null, maxPhotoBytes);
      if (problem) problems.push(problem);
      else good.push(pick(file));
    }
    const { slots: next, overflow } = fillEmptySlots(slots, good);
    if (overflow.length) {
      problems.push(
        `${overflow.length} photo${overflow.length > 1 ? "s" : ""} did not fit — an appraisal holds ${slots.length} photos. Remove one to add another.`,
      );
    }
    const placed = good.filter((p) => !overflow.includes(p)).map((p) => slotLabel(slotOf(next, p.id)));
    setNotice(problems.length ? problems.join(" ") : undefined);
    change(
      next,
      {},
      `${placed.length ? `Added ${placed.length} photo${placed.length > 1 ? "s" : ""}: ${placed.join(", ")}.` : ""} ${problems.join(" ")}`.trim(),
    );
  };

  const onRemove = (slot: number) => {
    const name = slots[slot]?.file.name;
    change(removeFromSlot(slots, slot), {}, `Removed ${name ?? "the photo"} from ${slotLabel(slot)}.`);
  };

  const onDragEnd = ({ active, over }: DragEndEvent) => {
    if (!over || over.id === active.id) return;
    const from = slotIndex(active.id);
    const to = slotIndex(over.id);
    const moved = slots[from];
    const next = swapSlots(slots, from, to);
    change(next, {});
    if (moved) {
      const landed = slotOf(next, moved.id);
      const displaced = slots[to];
      setAnnouncement(
        displaced
          ? `Swapped: ${moved.file.name} is now ${slotLabel(landed)}, ${displaced.file.name} is now ${slotLabel(slotOf(next, displaced.id))}.`
          : `${moved.file.name} moved to ${slotLabel(landed)}.`,
      );
    }
  };

  const sensors = useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: 6 } }),
    useSensor(TouchSensor, { activationConstraint: { delay: 150, tolerance: 8 } }),
    useSensor(KeyboardSensor, { coordinateGetter: slotOrderCoordinates }),
  );
  const announcements = useMemo<Announcements>(
    () => ({
      onDragStart: ({ active }) => `Picked up the ${slotLabel(slotIndex(active.id))} photo.`,
      onDragOver: ({ active, over }) =>
        over?.id === active.id
          ? `The ${slotLabel(slotIndex(active.id))} photo is over its own slot.`
          : over
            ? `The ${slotLabel(slotIndex(active.id))} photo is over ${slotLabel(slotIndex(over.id))}.`
            : `The ${slotLabel(slotIndex(active.id))} photo is not over a slot.`,
      onDragEnd: ({ active, over }) =>
        over && over.id !== active.id
          ? `Dropped the ${slotLabel(slotIndex(active.id))} photo on ${slotLabel(slotIndex(over.id))}: they swapped places.`
          : `The ${slotLabel(slotIndex(active.id))} photo stayed where it was.`,
      onDragCancel: ({ active }) =>
        `Moving cancelled. The ${slotLabel(slotIndex(active.id))} photo stayed where it was.`,
    }),
    [],
  );

  const submit = async () => {
    if (!canSubmit) return;
    keyRef.current ??= newIdempotencyKey();
    setFormError(undefined);
    setNotice(undefined);
    const key = keyRef.current;
    setPhase({ kind: "preparing" });
    const shrunk = new Map<string, File>();
    await Promise.all(
      slots.map(async (p) => {
        if (p) shrunk.set(p.id, await shrinkForUpload(p.file));
      }),
    );
    setPhase({ kind: "uploading", progress: 0 });
    setAnnouncement(`Uploading ${filled} photo${filled > 1 ? "s" : ""}.`);
    const outcome = await postAppraisal(buildFormData(slots, category, shrunk), key, (fraction) => {
      if (fraction >= 1) setPhase({ kind: "appraising" });
      else setPhase({ kind: "uploading", progress: fraction });
    });
    if (outcome.ok) {
      setPhase({ kind: "done" });
      setAnnouncement("Your quote is ready.");
      router.push(`/appraisals/${outcome.body.id}`);
      return;
    }
    setPhase({ kind: "idle" });
    const slot = slotOfField(outcome.error.field);
    if (slot !== undefined && slots[slot]) setSlotErrors({ ...slotErrors, [slot]: outcome.error.message });
    setFormError(outcome.error.message);
    // Move focus to the message so keyboard and screen-reader users land on what went wrong.
    requestAnimationFrame(() => alertRef.current?.focus());
  };

  const progress = phase.kind === "uploading" ? phase.progress : null;
  const status =
    phase.kind === "preparing"
      ? "Preparing your photos…"
      : phase.kind === "uploading"
        ? `Uploading ${filled} photo${filled > 1 ? "s" : ""}… ${Math.round(phase.progress * 100)}%`
        : phase.kind === "appraising"
          ? "Appraising your item…"
          : phase.kind === "done"
            ? "Opening your quote…"
            : "";

  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
      className="space-y-6"
      aria-describedby={hintId}
      data-ready={ready ? "true" : undefined}
      noValidate
    >
      <div className="rounded-3xl border border-slate-200 bg-white p-4 shadow-sm sm:p-6">
        <div className="mb-4 flex flex-wrap items-baseline justify-between gap-2">
          <h2 className="text-lg font-semibold">Your photos</h2>
          <p id={hintId} className="text-sm text-slate-500">
            {filled}/{slots.length} added · JPEG, PNG or WebP up to {formatBytes(maxPhotoBytes)} each
          </p>
        </div>
        <p className="mb-4 text-sm text-slate-600">
          <span className="pointer-coarse:hidden">
            Drop several photos at once and they fill the slots in order: Front, Back, then Other. Drag a photo by its
            handle — or focus the handle and press Space, then the arrow keys — to swap it with another slot.
          </span>
          <span className="hidden pointer-coarse:inline">
            Pick several photos at once and they fill the slots in order: Front, Back, then Other. Press and hold a
            photo's handle, then drag it onto another slot to swap them.
          </span>
        </p>
        <DndContext
          id={dndId}
          sensors={sensors}
          collisionDetection={closestCenter}
          onDragEnd={onDragEnd}
          accessibility={{
            announcements,
            screenReaderInstructions: {
              draggable:
                "To move this photo, press Space or Enter. Use the arrow keys to move it over another slot, then press Space or Enter again to swap the two. Press Escape to cancel.",
            },
          }}
        >
          <SortableContext items={slots.map((_, i) => `slot-${i}`)} strategy={rectSwappingStrategy}>
            <ul className="grid grid-cols-2 gap-3 sm:grid-cols-4 sm:gap-4" aria-label="Photo slots">
              {slots.map((photo, slot) => (
                <PhotoSlot
                  // biome-ignore lint/suspicious/noArrayIndexKey: slots are fixed positions, the index is their identity
                  key={slot}
                  slot={slot}
                  photo={photo}
                  error={slotErrors[slot]}
                  disabled={busy}
                  onFiles={onFiles}
                  onRemove={onRemove}
                />
              ))}
            </ul>
          </SortableContext>
        </DndContext>
        {notice ? (
          <p role="status" className="mt-4 flex items-start gap-2 rounded-xl bg-amber-50 p-3 text-sm text-amber-900">
            <AlertIcon className="mt-0.5 h-4 w-4" />
            <span>{notice}</span>
          </p>
        ) : null}
      </div>

      <div className="rounded-3xl border border-slate-200 bg-white p-4 shadow-sm sm:p-6">
        <label htmlFor={categoryId} className="block text-lg font-semibold">
          What is it? <span className="text-sm font-normal text-slate-500">(optional)</span>
        </label>
        <p className="mb-3 text-sm text-slate-600">
          If you tell us, a specialist double-checks when the photos say otherwise.
        </p>
        <select
          id={categoryId}
          name="declaredCategory"
          value={category}
          disabled={busy}
          onChange={(e) => {
            setCategory(e.target.value);
            keyRef.current = null;
          }}
          className="w-full rounded-xl border border-slate-300 bg-white px-3 py-2.5 text-base shadow-sm focus:border-brand-500 sm:w-80"
        >
          <option value="">I'm not sure — you tell me</option>
          {categories.map((c) => (
            <option key={c.value} value={c.value}>
              {c.label}
            </option>
          ))}
        </select>
      </div>

      <div className="sticky bottom-0 z-10 -mx-4 border-t border-slate-200 bg-white/95 px-4 py-4 backdrop-blur sm:static sm:mx-0 sm:rounded-3xl sm:border sm:shadow-sm sm:px-6">
        {formError ? (
          <div
            ref={alertRef}
            tabIndex={-1}
            role="alert"
            className="mb-3 flex items-start gap-2 rounded-xl bg-red-50 p-3 text-sm text-red-800"
          >
            <AlertIcon className="mt-0.5 h-4 w-4" />
            <div>
              <p className="font-medium">We couldn't appraise this yet</p>
              <p>{formError}</p>
            </div>
          </div>
        ) : null}
        {busy ? (
          <div className="mb-3 space-y-2">
            <ProgressBar value={progress} label="Upload progress" />
          </div>
        ) : null}
        <p aria-live="polite" className="mb-2 text-sm text-slate-600 empty:hidden">
          {status}
        </p>
        <div className="flex flex-col-reverse items-stretch gap-3 sm:flex-row sm:items-center sm:justify-between">
          <p className="text-sm text-slate-500">
            {slots[FRONT] === null
              ? "Add a Front photo to continue."
              : blockingError
                ? "Replace or remove the photo marked in red."
                : "Ready when you are — quotes usually take a few seconds."}
          </p>
          <button
            type="submit"
            disabled={!canSubmit}
            className="inline-flex items-center justify-center rounded-xl bg-brand-600 px-6 py-3 text-base font-semibold text-white shadow-sm transition hover:bg-brand-700 disabled:cursor-not-allowed disabled:bg-slate-300 disabled:text-slate-600"
          >
            {busy ? "Working…" : formError ? "Try again" : "Get my quote"}
          </button>
        </div>
      </div>
      <div aria-live="polite" className="sr-only" data-testid="announcer">
        {announcement}
      </div>
    </form>
  );
}
